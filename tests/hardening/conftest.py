def pytest_configure(config):
    # Registered here too so `-p no:xdist` runs (make fuzz) accept the marker under --strict-markers.
    config.addinivalue_line("markers", "xdist_group(name): run these tests on one xdist worker")
