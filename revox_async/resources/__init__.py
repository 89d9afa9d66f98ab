"""The API's resources, one module each; the private modules build and check request bodies."""
