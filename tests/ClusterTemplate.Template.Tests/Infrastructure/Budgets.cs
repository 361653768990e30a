namespace ClusterTemplate.Template.Tests.Infrastructure;

/// <summary>Time budgets of the commands and waits the tests run; every wait is bounded by one of these.</summary>
internal static class Budgets
{
    /// <summary><c>dotnet new install|uninstall|clustertemplate</c>, restore post-action included.</summary>
    public static readonly TimeSpan TemplateCommand = TimeSpan.FromMinutes(3);

    /// <summary><c>dotnet pack</c> of the template package project.</summary>
    public static readonly TimeSpan Pack = TimeSpan.FromMinutes(3);

    /// <summary><c>dotnet build</c> of a generated solution (restore included when it was skipped).</summary>
    public static readonly TimeSpan Build = TimeSpan.FromMinutes(6);

    /// <summary><c>dotnet publish Primary</c> of a generated solution whose worker is Native AOT (restore and native compile included).</summary>
    public static readonly TimeSpan PublishAot = TimeSpan.FromMinutes(12);

    /// <summary><c>dotnet test</c> of the generated solution's fast unit tests.</summary>
    public static readonly TimeSpan Test = TimeSpan.FromMinutes(6);

    /// <summary>From starting a generated primary until all its workers are running and healthy.</summary>
    public static readonly TimeSpan ClusterReady = TimeSpan.FromSeconds(90);

    /// <summary>From SIGTERM to the primary until it and its workers have exited.</summary>
    public static readonly TimeSpan ClusterStop = TimeSpan.FromSeconds(45);

    /// <summary>From the first request until every worker has answered one, each on a new connection.</summary>
    public static readonly TimeSpan EveryWorkerServes = TimeSpan.FromSeconds(30);

    /// <summary>A rolling restart of a small cluster, from the command until it reports done.</summary>
    public static readonly TimeSpan RollingRestart = TimeSpan.FromMinutes(2);
}
