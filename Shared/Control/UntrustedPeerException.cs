namespace ClusterTemplate.Shared.Control;

/// <summary>The process serving a Unix socket is not one this process may trust; the connection was closed unused.</summary>
public sealed class UntrustedPeerException : IOException
{
    /// <summary>Creates the exception for <paramref name="socketPath"/> and the reason it is not trusted.</summary>
    public UntrustedPeerException(string socketPath, string reason)
        : base($"Not trusting the server of {socketPath}: {reason}.")
    {
    }

    /// <summary>The exception, when it is in <paramref name="exception"/>'s chain of inner exceptions.</summary>
    public static UntrustedPeerException? Find(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is UntrustedPeerException untrusted)
            {
                return untrusted;
            }
        }

        return null;
    }
}
