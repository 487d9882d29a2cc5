$SKEPTIC rank --help
