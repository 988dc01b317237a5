// A minimal API with ASP.NET Core's CORS middleware: what a team would hold to its policy.
var builder = WebApplication.CreateBuilder(args);
builder.Services.AddCors(cors => cors.AddDefaultPolicy(policy => policy
    .WithOrigins("https://app.example.com")
    .WithMethods("GET", "POST", "PUT")
    .WithHeaders("Content-Type", "X-Request-Id")
    .WithExposedHeaders("X-Total-Count")
    .AllowCredentials()));
var app = builder.Build();
app.UseCors();
app.MapMethods("/api/items", ["GET", "POST", "PUT"], (HttpContext http) =>
{
    http.Response.Headers["X-Total-Count"] = "3";
    return Results.Json(new[] { "a", "b", "c" });
});
app.Run();

public partial class Program;
