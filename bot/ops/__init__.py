"""Operating several processes: health, metrics, cluster-wide leases and rate budgets."""
