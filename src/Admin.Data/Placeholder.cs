namespace Admin.Data; internal static class Placeholder { }
