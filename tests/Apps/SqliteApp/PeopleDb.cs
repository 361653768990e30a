using Microsoft.EntityFrameworkCore;

/// <summary>The app's database: people, and one row per run of the app's one-time init.</summary>
internal sealed class PeopleDb(DbContextOptions<PeopleDb> options) : DbContext(options)
{
    public DbSet<Person> Persons => Set<Person>();

    public DbSet<InitRun> InitRuns => Set<InitRun>();
}

internal sealed class Person
{
    public int Id { get; set; }

    public required string Name { get; set; }

    /// <summary>The worker process that wrote the row.</summary>
    public int WrittenBy { get; set; }
}

internal sealed class InitRun
{
    public int Id { get; set; }

    public int ProcessId { get; set; }
}
