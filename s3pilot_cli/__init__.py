"""s3pilot: the clusters of Tillväxtverket's S3-piloten, for people and shell scripts."""

__version__ = "0.1.0"
