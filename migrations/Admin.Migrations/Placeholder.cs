namespace Admin.Migrations; internal static class Placeholder { }
