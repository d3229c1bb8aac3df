from reckon.cli import main

main()
