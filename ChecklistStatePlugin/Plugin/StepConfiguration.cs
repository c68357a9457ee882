namespace Work365.ChecklistStatePlugin
{
    /// <summary>
    /// The step's unsecure configuration: which table and column the guard watches. Blank means
    /// Work 365 Setup's own; the real Work 365 settings table is named as
    /// <c>{"table":"&lt;logical name&gt;","column":"&lt;logical name&gt;"}</c>.
    /// </summary>
    public sealed class StepConfiguration
    {
        public const string DefaultTable = "w365_setup";
        public const string DefaultColumn = "w365_checkliststate";

        private StepConfiguration(string table, string column, string? problem)
        {
            Table = table;
            Column = column;
            Problem = problem;
        }

        public string Table { get; }
        public string Column { get; }

        /// <summary>Set when the configuration cannot be read: the guard then refuses every write it sees, saying so.</summary>
        public string? Problem { get; }

        public static StepConfiguration Parse(string? unsecure)
        {
            if (string.IsNullOrWhiteSpace(unsecure)) return new StepConfiguration(DefaultTable, DefaultColumn, null);
            if (!(Json.Parse(unsecure!) is JsonObject obj)) return Invalid(unsecure!);
            var table = obj.Get("table");
            var column = obj.Get("column");
            if ((table != null && !(table is JsonString)) || (column != null && !(column is JsonString))) return Invalid(unsecure!);
            return new StepConfiguration(
                (table as JsonString)?.Value.Trim().ToLowerInvariant() ?? DefaultTable,
                (column as JsonString)?.Value.Trim().ToLowerInvariant() ?? DefaultColumn,
                null);
        }

        private static StepConfiguration Invalid(string unsecure) => new StepConfiguration(DefaultTable, DefaultColumn, unsecure.Length > 200 ? unsecure.Substring(0, 200) + "…" : unsecure);
    }
}
