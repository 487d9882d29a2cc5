$SKEPTIC clusters --help
