"""OGC API - Features at /ogc/: deposits, licences, lodged applications and ground openings,
so that a GIS (QGIS, GDAL, OWSLib) opens the public register directly.

pygeoapi speaks the protocol (landing page, conformance, collections, items, paging links,
exceptions, the OpenAPI document); its configuration is built in memory per request
(`service.py`), never read from a file, and it reads our data through our provider classes
(`provider.py`), which ask `selectors.py` for one page at a time, filtered in the database.
Only JSON and GeoJSON are served: pygeoapi's HTML pages load scripts from CDNs, which the
site's content security policy forbids; the map of the register is /map/."""
