// Each heavy test builds a whole solution; on a small machine they run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
