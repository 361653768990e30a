var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();

var app = builder.Build();

// Like many existing APIs: a key in front of everything, written before anyone thought of health probes.
app.Use(async (context, next) =>
{
    if (context.Request.Headers["X-Api-Key"] != "secret")
    {
        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        return;
    }

    await next(context);
});

app.MapGet("/", () => "existing app");

// Where relative paths (a SQLite file, uploads) end up, and whether appsettings.json was found.
app.MapGet("/where", (IWebHostEnvironment environment, IConfiguration configuration) =>
    new { WorkingDirectory = Environment.CurrentDirectory, environment.ContentRootPath, Greeting = configuration["Greeting"] });

app.Run();
