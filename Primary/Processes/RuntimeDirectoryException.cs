namespace ClusterTemplate.Primary.Processes;

/// <summary>
/// The runtime folder cannot be used: it is not a private folder of this user, it cannot be made, or another
/// primary runs in it. The message is one line naming the setting; the primary prints it and exits 2.
/// </summary>
public sealed class RuntimeDirectoryException(string message) : Exception(message)
{
    /// <summary>The exception, when it is in <paramref name="exception"/>'s chain of inner exceptions.</summary>
    public static RuntimeDirectoryException? Find(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is RuntimeDirectoryException refused)
            {
                return refused;
            }
        }

        return null;
    }
}
