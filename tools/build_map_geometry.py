"""Build static/geo/nato-allies.json, the overview map's outlines, from world-atlas.

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python tools/build_map_geometry.py package/countries-110m.json

world-atlas ships Natural Earth's 1:110m countries (public domain) as TopoJSON under the ISC
licence (static/geo/LICENSE-world-atlas). The output holds SVG paths already projected
(equirectangular, x scaled by cos 50°, cropped to North America and Europe), so the page draws
the map as inline SVG: no map library, no script, readable with JavaScript off.
"""

import json
import math
import sys
from pathlib import Path

# ISO 3166 numeric (world-atlas ids) -> ISO3 of the 32 allies.
ALLIES = {
    "008": "ALB", "056": "BEL", "100": "BGR", "124": "CAN", "191": "HRV", "203": "CZE",
    "208": "DNK", "233": "EST", "246": "FIN", "250": "FRA", "276": "DEU", "300": "GRC",
    "348": "HUN", "352": "ISL", "380": "ITA", "428": "LVA", "440": "LTU", "442": "LUX",
    "499": "MNE", "528": "NLD", "807": "MKD", "578": "NOR", "616": "POL", "620": "PRT",
    "642": "ROU", "703": "SVK", "705": "SVN", "724": "ESP", "752": "SWE", "792": "TUR",
    "826": "GBR", "840": "USA",
}  # fmt: skip
WEST, EAST, SOUTH, NORTH = -170.0, 48.0, 24.0, 84.0
SCALE = 4.0  # SVG units per degree of latitude
COS = math.cos(math.radians(50))
OUTPUT = Path(__file__).resolve().parent.parent / "static" / "geo" / "nato-allies.json"


def decode_arcs(topology):
    """Absolute lon/lat points of every arc (TopoJSON quantised, delta-encoded arcs)."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring_points(ring, arcs):
    points = []
    for index in ring:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc if not points else arc[1:])
    return points


def polygons(geometry):
    if geometry["type"] == "Polygon":
        return [geometry["arcs"]]
    if geometry["type"] == "MultiPolygon":
        return geometry["arcs"]
    return []


def project(lon, lat):
    return ((lon - WEST) * COS * SCALE, (NORTH - lat) * SCALE)


def path_of(geometry, arcs):
    """SVG path of the polygons inside the frame; "" when none is."""
    # Alaska's Aleutians cross the antimeridian: bring them west of -180 (Russia's stay east).
    shift = 360 if geometry.get("id") == "840" else 0
    parts = []
    for polygon in polygons(geometry):
        rings = [ring_points(ring, arcs) for ring in polygon]
        rings = [[(lon - shift if lon > 150 else lon, lat) for lon, lat in ring] for ring in rings]
        lons = [lon for lon, _ in rings[0]]
        if max(lons) - min(lons) > 180:
            # Russia's ring runs over the antimeridian: keep it whole, east of the frame.
            rings = [[(lon + 360 if lon < 0 else lon, lat) for lon, lat in r] for r in rings]
            lons = [lon for lon, _ in rings[0]]
        lats = [lat for _, lat in rings[0]]
        if max(lons) < WEST or min(lons) > EAST or max(lats) < SOUTH or min(lats) > NORTH:
            continue  # French Guiana, Réunion, Hawaii...
        for ring in rings:
            xy = [project(lon, lat) for lon, lat in ring]
            parts.append(
                "M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in xy).replace(".0,", ",") + "Z"
            )
    return "".join(parts)


def main(source):
    topology = json.loads(Path(source).read_text())
    arcs = decode_arcs(topology)
    allies, background = {}, []
    for geometry in topology["objects"]["countries"]["geometries"]:
        path = path_of(geometry, arcs)
        if not path:
            continue
        iso3 = ALLIES.get(geometry.get("id"))
        if iso3:
            allies[iso3] = path
        else:
            background.append(path)
    width, height = project(EAST, SOUTH)
    OUTPUT.write_text(
        json.dumps(
            {
                "source": "Natural Earth 1:110m via world-atlas 2.0.2 (ISC)",
                "view_box": f"0 0 {width:.0f} {height:.0f}",
                "background": "".join(background),
                "allies": allies,
            },
            separators=(",", ":"),
            sort_keys=True,
        )
    )
    print(f"{len(allies)} allies, {OUTPUT.stat().st_size} bytes -> {OUTPUT}")


if __name__ == "__main__":
    main(sys.argv[1])
