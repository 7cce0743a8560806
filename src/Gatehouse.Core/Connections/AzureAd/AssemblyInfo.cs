using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Gatehouse.AzureAd.Tests")]
[assembly: InternalsVisibleTo("Gatehouse.Fuzz")]
