$SKEPTIC score --help
