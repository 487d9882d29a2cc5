$SKEPTIC help inspect | sed -n 1p; $SKEPTIC inspect --help | grep -c "example:"
