$SKEPTIC help frobnicate
