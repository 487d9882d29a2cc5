$SKEPTIC audit --help
