# AuditWatch container image: build with the .NET SDK, run on the small runtime-deps base as a non-root user.
#   docker build -t auditwatch .
#   docker run --read-only -p 8080:8080 auditwatch run --urls http://0.0.0.0:8080 ...   (non-loopback needs TLS + auth)
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props AuditWatch.sln ./
COPY src/ src/
COPY rules/ rules/
COPY samples/ samples/
RUN dotnet publish src/AuditWatch/AuditWatch.csproj -c Release -o /app \
      --runtime linux-x64 --self-contained true -p:PublishSingleFile=false -p:InvariantGlobalization=true

FROM mcr.microsoft.com/dotnet/runtime-deps:10.0 AS runtime
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app/ ./
USER 10001:10001
ENV Detection__DataDirectory=/var/lib/auditwatch
# Count calls toward optimised code at once instead of after 100 ms without new methods compiled, which a service
# taking load from its first second kept postponing: detection fell 0.1-3 s behind in the first ten seconds
# (docs/operations.md). The runtime reads this knob only from the environment.
ENV DOTNET_TC_CallCountingDelayMs=0
VOLUME ["/var/lib/auditwatch"]
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s --start-period=20s --retries=3 \
  CMD curl -fsS http://127.0.0.1:8080/healthz || exit 1
ENTRYPOINT ["/app/AuditWatch"]
CMD ["run", "--urls", "http://127.0.0.1:8080"]
