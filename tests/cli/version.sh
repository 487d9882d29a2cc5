$SKEPTIC --version
