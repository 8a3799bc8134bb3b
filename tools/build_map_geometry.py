"""Build static/geo/nato-allies.json, the map's outlines, from world-atlas.

    npm pack world-atlas@2.0.2 && tar xzf world-atlas-2.0.2.tgz
    python tools/build_map_geometry.py package/countries-110m.json

world-atlas ships Natural Earth's 1:110m countries (public domain) as TopoJSON under the ISC
licence (static/geo/LICENSE-world-atlas). The output holds SVG paths already projected, in two
panels: Europe (30 allies) large, and North America (Canada, the United States) as an inset at a
smaller scale, each in Lambert's azimuthal equal-area projection centred on its own region, so
the Baltics and Luxembourg get room to be seen and clicked. The page draws it as inline SVG: no
map library, no script, readable with JavaScript off.
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
NORTH_AMERICA = {"CAN", "USA"}
# Each panel: its centre (lon, lat), the frame (west, south, east, north) whose outlines it
# keeps, its width in SVG units, and where it sits in the map.
PANELS = {
    "north-america": {"centre": (-100, 50), "frame": (-170, 20, -50, 84), "width": 330},
    "europe": {"centre": (15, 52), "frame": (-30, 30, 50, 75), "width": 800},
}
GAP = 16
MARGIN = 0.03
# An ally narrower or lower than this (SVG units) also gets a round marker to click.
SMALL = 14
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


def azimuthal_equal_area(lon, lat, centre):
    """Lambert azimuthal equal-area on the unit sphere, y pointing down (SVG)."""
    lam, phi = math.radians(lon - centre[0]), math.radians(lat)
    phi1 = math.radians(centre[1])
    cos_c = math.sin(phi1) * math.sin(phi) + math.cos(phi1) * math.cos(phi) * math.cos(lam)
    k = math.sqrt(2 / (1 + cos_c))
    x = k * math.cos(phi) * math.sin(lam)
    y = k * (math.cos(phi1) * math.sin(phi) - math.sin(phi1) * math.cos(phi) * math.cos(lam))
    return x, -y


def country_rings(geometry, arcs, frame):
    """The rings (lon/lat) of the country's polygons that touch the frame."""
    west, south, east, north = frame
    kept = []
    for polygon in polygons(geometry):
        rings = [ring_points(ring, arcs) for ring in polygon]
        # The Aleutians and Russia's far east cross the antimeridian: keep them on one side.
        rings = [[(lon - 360 if lon > 170 else lon, lat) for lon, lat in r] for r in rings]
        lons = [lon for lon, _ in rings[0]]
        lats = [lat for _, lat in rings[0]]
        if max(lons) < west or min(lons) > east or max(lats) < south or min(lats) > north:
            continue  # French Guiana, Réunion, Hawaii, Svalbard's neighbours...
        kept.append(rings)
    return kept


def svg_path(rings_of_polygons, place):
    parts = []
    for rings in rings_of_polygons:
        for ring in rings:
            xy = [place(lon, lat) for lon, lat in ring]
            parts.append(
                "M" + "L".join(f"{x:.1f},{y:.1f}" for x, y in xy).replace(".0,", ",") + "Z"
            )
    return "".join(parts)


def build_panel(name, spec, countries, arcs):
    """One panel: its size, background and allies' paths, and markers for the small allies."""
    own = [
        (iso3, geometry)
        for geometry in countries
        if (iso3 := ALLIES.get(geometry.get("id")))
        and (iso3 in NORTH_AMERICA) == (name == "north-america")
    ]
    projected = [
        azimuthal_equal_area(lon, lat, spec["centre"])
        for _, geometry in own
        for rings in country_rings(geometry, arcs, spec["frame"])
        for lon, lat in rings[0]
        if lon >= spec["frame"][0]
    ]
    xs, ys = [x for x, _ in projected], [y for _, y in projected]
    span_x, span_y = max(xs) - min(xs), max(ys) - min(ys)
    x0, y0 = min(xs) - MARGIN * span_x, min(ys) - MARGIN * span_y
    scale = spec["width"] / (span_x * (1 + 2 * MARGIN))
    height = span_y * (1 + 2 * MARGIN) * scale

    def place(lon, lat):
        x, y = azimuthal_equal_area(lon, lat, spec["centre"])
        return (x - x0) * scale, (y - y0) * scale

    allies, markers, background = {}, {}, []
    own_ids = {geometry.get("id") for _, geometry in own}
    for geometry in countries:
        rings = country_rings(geometry, arcs, spec["frame"])
        if not rings:
            continue
        path = svg_path(rings, place)
        iso3 = ALLIES.get(geometry.get("id"))
        if geometry.get("id") in own_ids:
            allies[iso3] = path
            points = [place(lon, lat) for polygon in rings for lon, lat in polygon[0]]
            px, py = [x for x, _ in points], [y for _, y in points]
            if max(px) - min(px) < SMALL or max(py) - min(py) < SMALL:
                centre = ((max(px) + min(px)) / 2, (max(py) + min(py)) / 2)
                markers[iso3] = [round(centre[0], 1), round(centre[1], 1)]
        elif iso3 is None:
            background.append(path)
    return {
        "name": name,
        "width": round(spec["width"]),
        "height": round(height),
        "background": "".join(background),
        "allies": allies,
        "markers": markers,
    }


def main(source):
    topology = json.loads(Path(source).read_text())
    arcs = decode_arcs(topology)
    countries = topology["objects"]["countries"]["geometries"]
    panels = [build_panel(name, spec, countries, arcs) for name, spec in PANELS.items()]
    x = 0
    for panel in panels:
        panel["x"], panel["y"] = x, 0
        x += panel["width"] + GAP
    width, height = x - GAP, max(panel["height"] for panel in panels)
    OUTPUT.write_text(
        json.dumps(
            {
                "source": "Natural Earth 1:110m via world-atlas 2.0.2 (ISC)",
                "view_box": f"0 0 {width} {height}",
                "panels": panels,
            },
            separators=(",", ":"),
            sort_keys=True,
        )
    )
    allies = sum(len(panel["allies"]) for panel in panels)
    print(f"{allies} allies, {OUTPUT.stat().st_size} bytes -> {OUTPUT}")
    for panel in panels:
        print(panel["name"], panel["width"], panel["height"], sorted(panel["markers"]))


if __name__ == "__main__":
    main(sys.argv[1])
