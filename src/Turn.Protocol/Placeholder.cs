namespace Turn.Protocol; internal static class Placeholder { }
