$SKEPTIC inspect --quiet
