"""The side-by-side review window parts: claims to judge beside the source PDF.

``ReviewController`` ties them to the main window; each other module is one widget or one
piece of scene drawing and can be used on its own.
"""
