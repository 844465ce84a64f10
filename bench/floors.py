"""The bare-SQL floors (PostGIS): one statement per endpoint that fetches the same data.

Each builds its whole answer in the database (GeoJSON with ST_AsGeoJSON and json_agg, the count
and the page together), so no application code could return the same data faster over the same
connection. Parameters come from the endpoint (the same district, region, point or offset).
"""

from __future__ import annotations

# Property lists as the API returns them (the GeoJSON properties or the JSON fields).
_TIMES = "'created_at', {t}.created_at, 'updated_at', {t}.updated_at"

_STATION = (
    "'district', s.district_id, 'precinct', s.precinct_id, 'number', s.number, 'name', s.name, "
    "'address', s.address, 'status', s.status, 'round_the_clock', s.round_the_clock, "
    "'opened_on', s.opened_on, 'closed_on', s.closed_on, "
    "'combined_with_housing', s.combined_with_housing, "
    "'on_police_balance_since', s.on_police_balance_since, "
    "'reception_hours', s.reception_hours, 'phone', s.phone, " + _TIMES.format(t="s")
)


def _collection(features_sql: str, count_sql: str) -> str:
    return (
        "SELECT json_build_object('type', 'FeatureCollection', "
        f"'count', ({count_sql}), 'features', coalesce(json_agg(f.f), '[]'))::text "
        f"FROM ({features_sql}) f"
    )


def _feature(geometry: str, properties: str, pk: str) -> str:
    return (
        f"json_build_object('type', 'Feature', 'id', {pk}, 'geometry', {geometry}::json, "
        f"'properties', json_build_object({properties}))"
    )


FLOORS: dict[str, str] = {
    "district_precincts": _collection(
        "SELECT "
        + _feature(
            "ST_AsGeoJSON(p.geom, 6)",
            "'district', p.district_id, 'district_kato', d.kato, 'number', p.number, "
            "'name', p.name, 'population', p.population, " + _TIMES.format(t="p"),
            "p.id",
        )
        + " AS f FROM stations_precinct p JOIN stations_district d ON d.id = p.district_id "
        "WHERE p.district_id = %(a0)s ORDER BY d.name, p.number LIMIT 500",
        "SELECT count(*) FROM stations_precinct WHERE district_id = %(a0)s",
    ),
    "district_stations": _collection(
        "SELECT "
        + _feature("ST_AsGeoJSON(s.geom, 6)", _STATION, "s.id")
        + " AS f FROM stations_station s JOIN stations_district d ON d.id = s.district_id "
        "WHERE s.district_id = %(a0)s ORDER BY d.name, s.number LIMIT 500",
        "SELECT count(*) FROM stations_station WHERE district_id = %(a0)s",
    ),
    "district_posts": _collection(
        "SELECT "
        + _feature(
            "ST_AsGeoJSON(m.geom, 6)",
            "'district', m.district_id, 'name', m.name, 'address', m.address, "
            "'status', m.status, 'round_the_clock', m.round_the_clock, "
            "'placement', m.placement, 'opened_on', m.opened_on, 'closed_on', m.closed_on, "
            "'phone', m.phone, " + _TIMES.format(t="m"),
            "m.id",
        )
        + " AS f FROM stations_modularpost m JOIN stations_district d ON d.id = m.district_id "
        "WHERE m.district_id = %(a0)s ORDER BY d.name, m.name LIMIT 500",
        "SELECT count(*) FROM stations_modularpost WHERE district_id = %(a0)s",
    ),
    "district_settlements": _collection(
        "SELECT "
        + _feature(
            "ST_AsGeoJSON(t.geom, 6)",
            "'district', t.district_id, 'name', t.name, 'kato', t.kato, "
            "'population', t.population, " + _TIMES.format(t="t"),
            "t.id",
        )
        + " AS f FROM stations_settlement t WHERE t.district_id = %(a0)s "
        "ORDER BY t.name LIMIT 500",
        "SELECT count(*) FROM stations_settlement WHERE district_id = %(a0)s",
    ),
    "district_coverage": (
        "SELECT (to_jsonb(c) - 'uncovered' - 'id' || jsonb_build_object("
        "'district_name', d.name, 'district_kato', d.kato, "
        "'uncovered', ST_AsGeoJSON(c.uncovered, 6)::jsonb))::text "
        "FROM reach_coveragesnapshot c JOIN stations_district d ON d.id = c.district_id "
        "WHERE c.district_id = %(a0)s"
    ),
    # Tolerance in metres, taken as degrees of latitude: the cheapest simplification there is.
    "national_overview": _collection(
        "SELECT "
        + _feature(
            "ST_AsGeoJSON(ST_Simplify(d.geom, %(a0)s / 111320.0, true), 6)",
            "'region', d.region_id, 'region_kato', r.kato, 'name', d.name, "
            "'name_kk', d.name_kk, 'kato', d.kato, 'kind', d.kind, "
            "'population', d.population, " + _TIMES.format(t="d"),
            "d.id",
        )
        + " AS f FROM stations_district d JOIN stations_region r ON r.id = d.region_id "
        "ORDER BY d.name LIMIT 500",
        "SELECT count(*) FROM stations_district",
    ),
    "region_precincts": _collection(
        "SELECT "
        + _feature(
            "ST_AsGeoJSON(ST_Simplify(p.geom, %(a1)s / 111320.0, true), 6)",
            "'district', p.district_id, 'district_kato', d.kato, 'number', p.number, "
            "'name', p.name, 'population', p.population, " + _TIMES.format(t="p"),
            "p.id",
        )
        + " AS f FROM stations_precinct p JOIN stations_district d ON d.id = p.district_id "
        "WHERE d.region_id = %(a0)s ORDER BY d.name, p.number LIMIT 500",
        "SELECT count(*) FROM stations_precinct p JOIN stations_district d "
        "ON d.id = p.district_id WHERE d.region_id = %(a0)s",
    ),
    "locate": """
        WITH pt AS (SELECT ST_SetSRID(ST_MakePoint(%(a0)s, %(a1)s), 4326) AS g),
        p AS (
            SELECT pr.id, pr.number, pr.name, pr.population, d.id AS district, d.name AS dname,
                   d.kato AS dkato, r.id AS region, r.name AS rname, r.kato AS rkato
            FROM stations_precinct pr
            JOIN stations_district d ON d.id = pr.district_id
            JOIN stations_region r ON r.id = d.region_id
            WHERE ST_Intersects(pr.geom, ST_SetSRID(ST_MakePoint(%(a0)s, %(a1)s), 4326))
            ORDER BY pr.district_id, pr.number LIMIT 1
        ),
        f AS (
            (SELECT 'station' AS type, s.id, s.number, s.name, s.address, s.phone,
                    s.reception_hours, s.round_the_clock, s.district_id, s.geom
             FROM stations_station s WHERE s.status = 'operating'
             ORDER BY s.geom::geography
                 <-> ST_SetSRID(ST_MakePoint(%(a0)s, %(a1)s), 4326)::geography LIMIT 3)
            UNION ALL
            (SELECT 'post', m.id, NULL, m.name, m.address, m.phone, '', m.round_the_clock,
                    m.district_id, m.geom
             FROM stations_modularpost m WHERE m.status = 'operating'
             ORDER BY m.geom::geography
                 <-> ST_SetSRID(ST_MakePoint(%(a0)s, %(a1)s), 4326)::geography LIMIT 3)
        )
        SELECT json_build_object(
            'precinct', (SELECT row_to_json(p) FROM p),
            'inspectors', (
                SELECT json_agg(json_build_object(
                    'id', i.id, 'last_name', i.last_name, 'first_name', i.first_name,
                    'middle_name', i.middle_name, 'rank', i.rank, 'position', i.position,
                    'station', i.station_id, 'service_phone', i.service_phone,
                    'reception_hours', i.reception_hours, 'assistants', (
                        SELECT json_agg(json_build_object('id', a.id, 'last_name', a.last_name,
                            'first_name', a.first_name, 'middle_name', a.middle_name))
                        FROM officers_assistant a WHERE a.inspector_id = i.id)))
                FROM officers_inspector i
                WHERE i.precinct_id = (SELECT id FROM p) AND i.status = 'active'),
            'nearest_facilities', (
                SELECT json_agg(x) FROM (
                    SELECT f.type, f.id, f.number, f.name, f.address, f.phone,
                           f.reception_hours, f.round_the_clock, f.district_id,
                           ST_AsGeoJSON(f.geom, 6)::json AS geom,
                           round(ST_Distance(f.geom::geography, pt.g::geography)::numeric, 1)
                               AS distance_m
                    FROM f, pt ORDER BY distance_m LIMIT 3) x),
            'next_meeting', (
                SELECT row_to_json(m) FROM (
                    SELECT id, kind, scheduled_at, place, status FROM meetings_meeting
                    WHERE precinct_id = (SELECT id FROM p) AND status = 'planned'
                      AND scheduled_at >= now()
                    ORDER BY scheduled_at LIMIT 1) m)
        )::text
    """,
    "stations_first": """
        SELECT json_build_object(
            'count', (SELECT count(*) FROM stations_station WHERE status = 'operating'),
            'results', coalesce(json_agg(json_build_object(
                'id', s.id, 'geom', ST_AsGeoJSON(s.geom, 6)::json, """
    + _STATION
    + """) ORDER BY s.o), '[]'))::text
        FROM (SELECT s.*, row_number() OVER () AS o FROM (
              SELECT s.* FROM stations_station s JOIN stations_district d ON d.id = s.district_id
              WHERE s.status = 'operating'
              ORDER BY d.name, s.number LIMIT 50 OFFSET %(a0)s) s) s
    """,
    "stations_deep": """
        SELECT json_build_object(
            'count', (SELECT count(*) FROM stations_station),
            'results', coalesce(json_agg(json_build_object(
                'id', s.id, 'geom', ST_AsGeoJSON(s.geom, 6)::json, """
    + _STATION
    + """) ORDER BY s.o), '[]'))::text
        FROM (SELECT s.*, row_number() OVER () AS o FROM (
              SELECT s.* FROM stations_station s JOIN stations_district d ON d.id = s.district_id
              ORDER BY d.name, s.number LIMIT 50 OFFSET %(a0)s) s) s
    """,
    "inspector_page": """
        SELECT json_build_object(
            'count', (SELECT count(*) FROM officers_inspector WHERE status = 'active'),
            'results', coalesce(json_agg(json_build_object(
                'id', i.id, 'last_name', i.last_name, 'first_name', i.first_name,
                'middle_name', i.middle_name, 'rank', i.rank, 'position', i.position,
                'precinct', i.precinct_id, 'station', i.station_id,
                'service_phone', i.service_phone, 'messenger_url', i.messenger_url,
                'social_url', i.social_url, 'reception_hours', i.reception_hours,
                'status', i.status) ORDER BY i.last_name, i.first_name), '[]'))::text
        FROM (SELECT * FROM officers_inspector WHERE status = 'active'
              ORDER BY last_name, first_name LIMIT 50 OFFSET %(a0)s) i
    """,
    "meeting_page": """
        SELECT json_build_object(
            'count', (SELECT count(*) FROM meetings_meeting
                      WHERE status = 'held' AND kind = 'quarterly_report'),
            'results', coalesce(json_agg(json_build_object(
                'id', m.id, 'precinct', m.precinct_id, 'inspector', m.inspector_id,
                'kind', m.kind, 'scheduled_at', m.scheduled_at, 'held_at', m.held_at,
                'place', m.place, 'geom', ST_AsGeoJSON(m.geom, 6)::json, 'status', m.status,
                'cancel_reason', m.cancel_reason, 'attendees', m.attendees,
                'minutes', m.minutes, 'created_at', m.created_at,
                'updated_at', m.updated_at) ORDER BY m.scheduled_at DESC), '[]'))::text
        FROM (SELECT * FROM meetings_meeting WHERE status = 'held' AND kind = 'quarterly_report'
              ORDER BY scheduled_at DESC LIMIT 50 OFFSET %(a0)s) m
    """,
    "admin_inspectors": """
        SELECT json_build_object(
            'count', (SELECT count(*) FROM officers_inspector),
            'rows', json_agg(t))::text
        FROM (SELECT i.id, i.last_name, i.first_name, i.middle_name, i.personnel_number,
                     i.rank, i.position, i.status, p.number AS precinct, p.name AS pname,
                     d.name AS district, s.number AS station, s.name AS sname
              FROM officers_inspector i
              LEFT JOIN stations_precinct p ON p.id = i.precinct_id
              LEFT JOIN stations_district d ON d.id = p.district_id
              LEFT JOIN stations_station s ON s.id = i.station_id
              ORDER BY i.last_name, i.first_name, i.id DESC LIMIT 100) t
    """,
    "admin_meetings": """
        SELECT json_build_object(
            'count', (SELECT count(*) FROM meetings_meeting),
            'rows', json_agg(t))::text
        FROM (SELECT m.id, m.scheduled_at, m.kind, m.status, m.attendees,
                     p.number AS precinct, p.name AS pname, d.name AS district,
                     i.last_name, i.first_name, i.middle_name,
                     (SELECT count(*) FROM meetings_suggestion s WHERE s.meeting_id = m.id)
                         AS suggestions
              FROM meetings_meeting m
              JOIN stations_precinct p ON p.id = m.precinct_id
              JOIN stations_district d ON d.id = p.district_id
              JOIN officers_inspector i ON i.id = m.inspector_id
              ORDER BY m.scheduled_at DESC, m.id DESC LIMIT 100) t
    """,
}
FLOORS["inspectors_first"] = FLOORS["inspectors_deep"] = FLOORS.pop("inspector_page")
FLOORS["meetings_first"] = FLOORS["meetings_deep"] = FLOORS.pop("meeting_page")

# Coverage's floor: the covered share of each district's area, buffers in its UTM zone (the
# simplest part of what coverage computes; population weighting and distances come on top).
COVERAGE_SQL = """
    WITH d AS (
        SELECT id, geom, 32600 + floor((ST_X(ST_Centroid(geom)) + 180) / 6)::int + 1 AS utm,
               coalesce(coverage_radius_m,
                        CASE kind WHEN 'urban' THEN %(urban)s ELSE %(rural)s END) AS r
        FROM stations_district WHERE %(all)s OR id = %(district)s
    ),
    f AS (
        SELECT geom FROM stations_station WHERE status = 'operating'
        UNION ALL SELECT geom FROM stations_modularpost WHERE status = 'operating'
    )
    SELECT d.id, ST_Area(ST_Intersection(ST_Transform(d.geom, d.utm),
                 ST_Union(ST_Buffer(ST_Transform(f.geom, d.utm), d.r, 32))))
                 / ST_Area(ST_Transform(d.geom, d.utm))
    FROM d LEFT JOIN f ON f.geom && ST_Expand(d.geom, d.r / 50000.0)
    GROUP BY d.id, d.geom, d.utm
"""

# For the record (not a floor): the overview simplified topology-preservingly in each
# district's UTM zone, as the API promises, computed on every request.
OVERVIEW_PRESERVE_SQL = FLOORS["national_overview"].replace(
    "ST_Simplify(d.geom, %(a0)s / 111320.0, true)",
    "ST_Transform(ST_SimplifyPreserveTopology(ST_Transform(d.geom, "
    "32600 + floor((ST_X(ST_Centroid(d.geom)) + 180) / 6)::int + 1), %(a0)s), 4326)",
)
