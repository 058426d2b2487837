"""Starling flight software: the onboard application and its CCSDS/PUS-C codec."""
