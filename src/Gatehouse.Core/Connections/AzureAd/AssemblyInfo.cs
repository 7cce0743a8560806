using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("Gatehouse.AzureAd.Tests")]
