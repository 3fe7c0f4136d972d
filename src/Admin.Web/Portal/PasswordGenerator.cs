using System.Security.Cryptography;

namespace Admin.Web.Portal;

/// <summary>Random passwords for "generate" buttons: 20 characters from an unambiguous alphabet (about 115 bits).</summary>
public static class PasswordGenerator
{
    // No 0/O, 1/l/I: passwords are sometimes read aloud or typed from a screen.
    private const string Alphabet = "abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    public const int Length = 20;

    public static string Generate() => RandomNumberGenerator.GetString(Alphabet, Length);
}
