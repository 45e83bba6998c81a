using Zones.Handlers.Guards;
using Zones.Hosting;

namespace Zones.Tests.Guards;

/// <summary>Each guard's options and the messages that refuse bad ones: the entry, the problem and the fix.</summary>
public sealed class GuardOptionsTests
{
    private static readonly ZoneInfo Zone = new(3, "/admin", "basicauth", null, "zones.json");

    private static List<string> Problems(IZoneOptionsValidation options) => options.Validate(Zone).ToList();

    [Fact]
    public void Basicauth_refuses_a_plain_text_password_saying_how_to_hash_it()
    {
        var problem = Assert.Single(Problems(new BasicAuthOptions { Users = { ["ana"] = "hunter2" } }));
        Assert.Contains("the password of \"ana\" is not a password hash (plain-text passwords are not accepted)", problem);
        Assert.Contains("dotnet run --project Zones.Host -- hash-password", problem);
    }

    [Theory]
    [InlineData("$pbkdf2-sha256$1000$c2FsdHNhbHRzYWx0c2FsdA==$" + "aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g=", "has 1000 iterations, fewer than the 600000 required")]
    [InlineData("$pbkdf2-sha256$600000$not base64$x", "is not a whole $pbkdf2-sha256$ITERATIONS$SALT$HASH string")]
    [InlineData("$pbkdf2-sha256$600000$c2FsdA==$aGFzaA==", "salt of at least 16 bytes")]
    [InlineData("$pbkdf2-sha256$600000", "is not a whole")]
    public void Basicauth_refuses_a_weak_or_broken_hash(string hash, string expected)
    {
        var problem = Assert.Single(Problems(new BasicAuthOptions { Users = { ["ana"] = hash } }));
        Assert.Contains(expected, problem);
    }

    [Fact]
    public void Basicauth_needs_users_a_realm_and_names_basic_can_carry()
    {
        Assert.Contains("basicauth needs \"Users\"", Assert.Single(Problems(new BasicAuthOptions())));
        var hash = BasicAuthTests.AnaHash;
        var problems = Problems(new BasicAuthOptions
        {
            Realm = " ",
            Users = { ["a:b"] = hash, ["jos\u00e9"] = hash, [""] = hash },
        });
        Assert.Equal(3, problems.Count);
        Assert.Contains(problems, p => p.Contains("\"Realm\" is empty"));
        Assert.Contains(problems, p => p.Contains("\"a:b\" cannot be a user name") && p.Contains("no ':'"));
        Assert.Contains(problems, p => p.Contains("\"\" cannot be a user name"));
        Assert.Contains("printable ASCII", Assert.Single(Problems(new BasicAuthOptions { Realm = "Ädmin", Users = { ["ana"] = hash } })));
    }

    [Fact]
    public void Bearer_refuses_a_token_that_is_not_its_sha256_saying_how_to_make_one()
    {
        var problem = Assert.Single(Problems(new BearerOptions { Tokens = { ["ci"] = "my-secret-token" } }));
        Assert.Contains("\"Tokens\": \"ci\" is not \"sha256:\" and 64 hex digits", problem);
        Assert.Contains("dotnet run --project Zones.Host -- hash-token", problem);
        Assert.Contains("bearer needs \"Tokens\"", Assert.Single(Problems(new BearerOptions())));
        Assert.Single(Problems(new BearerOptions { Tokens = { ["short"] = "sha256:abcd" } }));
        Assert.Empty(Problems(new BearerOptions { Tokens = { ["ci"] = TokenHash.Of("t") } }));
    }

    [Fact]
    public async Task A_plain_text_password_in_zones_json_stops_the_start_naming_the_file_the_entry_and_the_fix()
    {
        var folder = Directory.CreateTempSubdirectory("zones-guards-").FullName;
        try
        {
            var path = GuardHost.WriteZones(folder, """
                { "Prefix": "/", "Handler": "notfound" },
                { "Prefix": "/admin", "Handler": "basicauth", "Users": { "ana": "hunter2" }, "Realms": "x" },
                { "Prefix": "/feeds", "Handler": "bearer", "Tokens": { "ci": "plain" } }
                """);
            var e = await Assert.ThrowsAsync<ZoneConfigurationException>(() => Infrastructure.TestHost.StartAsync(["--zones", path, "--urls", "http://127.0.0.1:0"]));
            Assert.Contains(path, e.Message);
            Assert.Contains(e.Problems, p => p.StartsWith("Zones[1] (Prefix \"/admin\")") && p.Contains("unknown option \"Realms\"") && p.Contains("Realm, Users"));
            Assert.Contains(e.Problems, p => p.StartsWith("Zones[2] (Prefix \"/feeds\")") && p.Contains("hash-token"));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void A_password_hash_round_trips_and_checks_only_its_password()
    {
        var hash = PasswordHash.Create("s3cret");
        var text = hash.ToString();
        Assert.StartsWith("$pbkdf2-sha256$600000$", text);
        Assert.True(PasswordHash.TryParse(text, out var parsed, out _));
        Assert.True(parsed.Verify("s3cret"u8));
        Assert.False(parsed.Verify("s3cret "u8));
        Assert.NotEqual(text, PasswordHash.Create("s3cret").ToString()); // a fresh salt each time
        Assert.False(PasswordHash.Unmatchable(PasswordHash.MinimumIterations).Verify("s3cret"u8));
    }
}
