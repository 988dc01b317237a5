global using CorsConformance.Browser.Tests;
