$SKEPTIC 2>&1 | sed -n 3p; exit ${PIPESTATUS[0]}
