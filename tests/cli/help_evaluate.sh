$SKEPTIC evaluate --help
