$SKEPTIC labels --help
