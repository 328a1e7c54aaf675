from django.urls import path

from deposits import views

app_name = "deposits"

urlpatterns = [
    path("deposits/", views.deposit_list, name="deposit-list"),
    path("deposits/<slug:slug>/", views.deposit_detail, name="deposit-detail"),
    path("map/", views.deposit_map, name="map"),
    path("commodities.css", views.commodity_css, name="commodity-css"),
    path("map/kazakhstan.geojson", views.kazakhstan_geojson, name="kazakhstan-geojson"),
    path("map/context/<slug:layer>.geojson", views.context_layer_geojson, name="context-layer"),
    path("open-data/", views.open_data_index, name="open-data"),
    path("open-data/deposits.csv", views.open_data_deposits_csv, name="open-data-csv"),
    path("open-data/deposits.geojson", views.open_data_deposits_geojson, name="open-data-geojson"),
]
