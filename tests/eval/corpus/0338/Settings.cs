namespace Shop.Billing;

public static class Settings
{
    public const string AccessToken = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiI5MTI5Njc5IiwibmFtZSI6IkxvdHVzIiwiaWF0IjoxNzA1MzgxNzgwfQ.n-MceQJwQmVhqAVejASW3jy7Oa-ymlCIe46oqrKn4Pk";
}
