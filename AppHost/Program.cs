using Microsoft.Extensions.Configuration;

var builder = DistributedApplication.CreateBuilder(args);

// The "Cluster" section of appsettings.json (or --Cluster:Workers=4 on the command line) sizes the cluster.
var settings = builder.Configuration.GetSection("Cluster");

// A primary that runs N worker processes on one public port, restarts them when they crash or hang,
// and shows each of them as a row under it, with commands to restart one, roll all, or scale.
var cluster = builder.AddCluster<Projects.ClusterTemplate_Primary>("cluster")
    .WithPublicPort(settings.GetValue("Port", ClusterResourceBuilderExtensions.DefaultPort))
    .WithMode(settings.GetValue("Mode", ClusterMode.Default));

// Without a count, a run starts one worker per core here and a published cluster one per core where it runs.
if (settings.GetValue<int?>("Workers") is { } workers)
{
    cluster.WithWorkers(workers);
}

// HTTPS on the public port (README, "HTTPS and HTTP/2"), with Kestrel's settings: --Kestrel:Certificates:Default:Path=dev.pem
// --Kestrel:Certificates:Default:KeyPath=dev.key, as `dotnet dev-certs https --export-path dev.pem --format Pem --no-password` writes them.
// A relative path is the AppHost folder's: the same file whatever folder `dotnet run` starts in.
if (builder.Configuration["Kestrel:Certificates:Default:Path"] is { Length: > 0 } certificate)
{
    cluster.WithHttpsCertificate(certificate, builder.Configuration["Kestrel:Certificates:Default:KeyPath"] is { Length: > 0 } key ? key : null);
}

builder.Build().Run();
