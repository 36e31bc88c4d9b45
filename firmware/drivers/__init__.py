# drivers package of the city sensor firmware
