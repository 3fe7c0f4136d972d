# syntax=docker/dockerfile:1
# Multi-stage build of the turnstone program; runs as a non-root user.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props ./
COPY src/ src/
COPY migrations/ migrations/
RUN dotnet publish src/Admin.Web/Admin.Web.csproj -c Release -o /app --nologo

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
# The .NET images ship an unprivileged "app" user (uid 1654); TURN's ports are all above 1024.
RUN mkdir -p /var/lib/turnstone && chown app:app /var/lib/turnstone
USER app
ENV Turnstone__DataDirectory=/var/lib/turnstone \
    Urls=http://0.0.0.0:8080
VOLUME /var/lib/turnstone
# TURN (UDP+TCP), TURNS (TLS), portal, Prometheus metrics. Relay ports are published by compose.
EXPOSE 3478/udp 3478/tcp 5349/tcp 8080/tcp 9641/tcp
ENTRYPOINT ["/app/turnstone"]
CMD ["serve"]
