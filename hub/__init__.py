"""hub: the city ingestion hub (MQTT -> validate -> durable buffer -> InfluxDB, alarms, CLI)."""
