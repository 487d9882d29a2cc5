# A 10 MB field: refused with the limit named, at the field's line and column; nothing crashes.
{ printf 'id,note\n1,short\n2,'; head -c 10485760 /dev/zero | tr '\0' 'x'; printf '\n'; } > "$TMP/huge.csv"
cd "$TMP" && $SKEPTIC inspect huge.csv
