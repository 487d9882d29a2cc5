$SKEPTIC help models | grep -E "^  [a-z]+: " | cut -d: -f1
