# The cluster as a container image: one primary and its workers, laid out as `dotnet publish Primary` lays them out
# (the primary in /app, the worker in /app/worker). Build from the solution folder:
#   docker build -t cluster-template .
# Or without a Dockerfile, where a registry is reachable: dotnet publish Primary -t:PublishContainer (the same image:
# Primary's csproj holds the same user, settings and ports). Run it as Kubernetes does (deploy/kubernetes/):
#   docker run --rm -p 8080:8080 -p 8081:8081 --read-only --tmpfs /tmp --cpus 2 cluster-template

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.nuget/packages \
    dotnet publish Primary -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS final
WORKDIR /app
COPY --from=build /app/ ./
# The app user of the official .NET images (uid 1654), by number, so Kubernetes can check runAsNonRoot.
USER $APP_UID
# No Cluster:Workers: it follows Environment.ProcessorCount, which follows the container's CPU limit.
# Mode shared: a non-root container cannot turn on net.ipv4.tcp_migrate_req, which reuseport needs to lose no
# connection when a worker stops (and Kubernetes does not list it among its safe sysctls).
# No Cluster:RuntimeDirectory: the primary makes <temp>/clustertemplate-<uid>/<port> 0700, on the volume at /tmp
# (the root filesystem is read-only). Logs go to stdout, each worker's line prefixed [worker <id> pid <pid>].
ENV Cluster__Mode=shared \
    Cluster__Port=8080 \
    Cluster__HealthEndpoint=http://*:8081
# The public port, and /healthz and /readyz for the orchestrator.
EXPOSE 8080 8081
ENTRYPOINT ["dotnet", "/app/ClusterTemplate.Primary.dll"]
