using System.Net;
using System.Net.Sockets;
using ClusterTemplate.Primary.Configuration;
using ClusterTemplate.Primary.Hosting;
using ClusterTemplate.Primary.Processes;
using ClusterTemplate.Tests.Cluster;
using ClusterTemplate.Tests.Fakes;
using ClusterTemplate.TestSupport;
using Microsoft.Extensions.DependencyInjection;

namespace ClusterTemplate.Tests.Configuration;

/// <summary>The checks that look at the machine: the mode, the worker program, the runtime folder, the port.</summary>
[Trait("Category", "Unit")]
public sealed class ClusterStartupValidatorTests : IDisposable
{
    private readonly string _worker = Path.Combine(Path.GetTempPath(), "ct-worker-" + Guid.NewGuid().ToString("N") + ".dll");

    public ClusterStartupValidatorTests() => File.WriteAllText(_worker, "");

    public void Dispose() => File.Delete(_worker);

    [Fact]
    public void An_unknown_mode_names_the_modes_there_are()
    {
        Assert.Equal(["Cluster:Mode must be reuseport, shared or proxy (got 'turbo')."], Validate(new ClusterOptions { Mode = "turbo", WorkerPath = _worker, Port = FreePort.Next() }));
    }

    [Fact]
    public void A_missing_worker_program_says_where_it_looked()
    {
        Assert.Equal(
            ["Cluster:WorkerPath: worker program not found (looked in /nonexistent/Worker.dll); set it to the Worker's executable or .dll."],
            Validate(new ClusterOptions { WorkerPath = "/nonexistent/Worker.dll", Port = FreePort.Next() }));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public void A_worker_program_that_is_not_executable_is_refused()
    {
        var program = Path.ChangeExtension(_worker, null);
        File.WriteAllText(program, "#!/bin/sh\n");
        try
        {
            Assert.Equal(
                [$"Cluster:WorkerPath: {program} is not executable; make it executable (chmod +x) or set it to the Worker's .dll."],
                Validate(new ClusterOptions { WorkerPath = program, Port = FreePort.Next() }));

            File.SetUnixFileMode(program, UnixFileMode.UserRead | UnixFileMode.UserExecute);
            Assert.Empty(Validate(new ClusterOptions { WorkerPath = program, Port = FreePort.Next() }));
        }
        finally
        {
            File.Delete(program);
        }
    }

    [Fact]
    public void A_port_another_program_holds_is_refused()
    {
        using var squatter = new TcpListener(IPAddress.Loopback, 0);
        squatter.Start();
        var port = ((IPEndPoint)squatter.LocalEndpoint).Port;

        Assert.Equal(
            [$"Cluster:Port {port} is already taken by another program; choose a free port (1..65535) or stop that program."],
            Validate(new ClusterOptions { WorkerPath = _worker, Port = port }));
    }

    [Fact]
    public void A_runtime_path_that_is_not_a_private_folder_is_reported_with_the_other_settings()
    {
        Assert.Equal(
            ["Cluster:Mode must be reuseport, shared or proxy (got 'turbo').", $"Cluster:RuntimeDirectory '{_worker}' is not a folder; remove it or choose another path."],
            Validate(new ClusterOptions { Mode = "turbo", WorkerPath = _worker, Port = FreePort.Next(), RuntimeDirectory = _worker }));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("reuseport")]
    [InlineData(" Shared ")]
    [InlineData("proxy")]
    public void Every_mode_runs_here(string? mode)
    {
        Assert.Empty(Validate(new ClusterOptions { Mode = mode, WorkerPath = _worker, Port = FreePort.Next() }));
    }

    private static string[] Validate(ClusterOptions options)
    {
        using var services = SupervisionServices.Build(options);
        var validator = new ClusterStartupValidator(services, services.GetRequiredService<WorkerProgramLocator>());
        return [.. validator.Validate(null, options).Failures ?? []];
    }
}
