from reviewer_app.cli import main

main()
