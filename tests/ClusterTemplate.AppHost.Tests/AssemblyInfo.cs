// Every test starts a whole cluster (DCP, a primary, its workers) on a 2-core machine: one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
