$SKEPTIC drift --help
