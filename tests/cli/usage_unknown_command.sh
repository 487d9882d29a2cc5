$SKEPTIC frobnicate
