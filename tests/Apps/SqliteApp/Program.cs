using Microsoft.EntityFrameworkCore;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.Services.AddDbContext<PeopleDb>(options => options.UseSqlite(builder.Configuration.GetConnectionString("People") ?? "Data Source=people.db"));

var app = builder.Build();

// The schema is made once: by the primary's init run before the workers start (Cluster:Init:When), or here when the app runs alone.
if (await app.RunClusterInitAsync(InitializeAsync))
{
    return;
}

app.MapPost("/people/{name}", async (string name, PeopleDb db) =>
{
    db.Persons.Add(new Person { Name = name, WrittenBy = Environment.ProcessId });
    await db.SaveChangesAsync();
    return Results.Ok(new { ProcessId = Environment.ProcessId });
});

app.MapGet("/people", async (PeopleDb db) => await db.Persons.OrderBy(person => person.Id).Select(person => person.Name).ToListAsync());

app.MapGet("/init-runs", async (PeopleDb db) => await db.InitRuns.Select(run => run.ProcessId).ToListAsync());

app.Run();

async Task InitializeAsync(IServiceProvider services, CancellationToken cancellationToken)
{
    // The tests make an init fail, as a migration that cannot be applied would, by creating this file.
    if (app.Configuration["FailInitWhenFileExists"] is { Length: > 0 } failWhen && File.Exists(failWhen))
    {
        Console.Error.WriteLine("Applying migration 20261202_AddEmail: column Email already exists");
        throw new InvalidOperationException("Migration 20261202_AddEmail could not be applied.");
    }

    var db = services.GetRequiredService<PeopleDb>();
    await db.Database.EnsureCreatedAsync(cancellationToken);
    db.InitRuns.Add(new InitRun { ProcessId = Environment.ProcessId });
    await db.SaveChangesAsync(cancellationToken);
}
