// A minimal API with ASP.NET Core's CORS middleware: what a team would hold to its policy.
var builder = WebApplication.CreateBuilder(args);
// The front end's dev server is allowed in Development only, as teams write it: the package holds the app as it runs in
// Production, where browsers meet it, so the policy file leaves it out and no test fails for it.
string[] origins = builder.Environment.IsDevelopment() ? ["https://app.example.com", "http://localhost:5173"] : ["https://app.example.com"];
builder.Services.AddCors(cors => cors.AddDefaultPolicy(policy => policy
    .WithOrigins(origins)
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
